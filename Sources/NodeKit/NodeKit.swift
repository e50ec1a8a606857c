/// NodeKit: the contract between the engine and the node types that plug into it. It depends on
/// nothing; the engine, the CLI and every node-type library depend on it.
