/// The oracle arm's labels — the human-annotation upper bound the loop is measured against: ground
/// truth replaces the synthetic preference. The preferred response becomes the true answer and the
/// rejected one a response of the pair that is not the truth (the synthetic rejected one when it is
/// wrong, else the synthetic preferred one). A pair with no wrong response gives nothing.
public enum OracleLabels {
    public static func relabel(_ pair: Pair) -> Pair? {
        let wrong = pair.rejected != pair.truth ? pair.rejected : pair.preferred
        guard wrong != pair.truth else { return nil }
        var labelled = pair
        labelled.preferred = pair.truth
        labelled.rejected = wrong
        labelled.source = "ground-truth"
        return labelled
    }
}
