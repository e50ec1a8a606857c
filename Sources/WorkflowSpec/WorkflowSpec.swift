/// WorkflowSpec: a workflow file, read into a resolved workflow — YAML with located nodes (libyaml),
/// `extends:` chains, `params:` with `${…}` expressions, `--set` overrides, `matrix:` variants and `repeat`
/// groups — every problem reported at once with `file:line:col` and a hint, within fixed bounds on size,
/// nesting and arithmetic. Pure: files are read through an injectable function; nothing runs.
