import Testing
@testable import JudgeStages

/// The judge's claim-by-claim view of an open-ended response: each mention next to what its own answer
/// puts in that cell, and what its own answer has that the response leaves out.
@Suite struct CellChecksTests {
    @Test func eachClaimIsInterleavedWordByWordWithWhatTheJudgeSeesInThatCell() {
        let response = "a small blue circle in row 1 column 2 . a large red square in row 3 column 1 ."
        let own = "a large red circle in row 1 column 2 . a large red square in row 3 column 1 ."
        #expect(CellChecks.text(response: response, trace: own)
                == "a a small large blue red circle circle , a a large large red red square square .")
    }

    @Test func theSequentialLayoutFollowsEachClaimWithWhatTheJudgeSees() {
        let response = "a small blue circle in row 1 column 2 . a large red square in row 3 column 1 ."
        let own = "a large red circle in row 1 column 2 . a large red square in row 3 column 1 ."
        #expect(CellChecks.text(response: response, trace: own, layout: .sequential)
                == "a small blue circle i see a large red circle , a large red square i see a large red square .")
    }

    @Test func aClaimInACellTheJudgeSeesEmptyIsCheckedAgainstNothing() {
        #expect(CellChecks.text(response: "a small blue circle in row 2 column 2 .", trace: "a small blue circle in row 1 column 2 .")
                == "a small blue circle i see nothing , misses a small blue circle .")
    }

    @Test func objectsTheResponseLeavesOutAreNamedAfterItsClaims() {
        let own = "a large red circle in row 1 column 1 . a small green square in row 2 column 3 ."
        #expect(CellChecks.text(response: "a large red circle in row 1 column 1 .", trace: own)
                == "a a large large red red circle circle , misses a small green square .")
    }

    @Test func rowListsAreMatchedByColumnAndCountClaimsKeepTheirCount() {
        #expect(CellChecks.text(response: "2 small red circles in column 1 , a large blue square in column 3 .",
                                trace: "a small red circle in column 1 .")
                == "2 a small small red red circles circle , a large blue square i see nothing .")
    }

    /// Words of a claim and of the judge's object are paired only when there are as many of each.
    @Test func aClaimMissingWordsIsStillCheckedByItsCellInSequence() {
        #expect(CellChecks.text(response: "a red circle in row 1 column 2 .", trace: "a large red circle in row 1 column 2 .")
                == "a red circle i see a large red circle .")
    }

    @Test func aCaptionIsNotCheckedAgainstARowList() {
        #expect(CellChecks.text(response: "a small red circle in row 1 column 1 .", trace: "a small red circle in column 1 .")
                == "a small red circle i see nothing .")
    }

    @Test func anUnreadableOwnAnswerSeesNothingAndClosedAnswersAreNotCheckedInterleaved() {
        #expect(CellChecks.text(response: "a small red circle in row 1 column 1 .", trace: "circle")
                == "a small red circle i see nothing .")
        for closed in ["2", "red", "row 1 column 2", "yes", "there is nothing in row 2 .", "in row 1 column 2 .", ""] {
            #expect(CellChecks.text(response: closed, trace: "a small red circle in row 1 column 1 .") == nil, "\(closed)")
            #expect(CellChecks.text(response: closed, trace: "row 2 column 2", layout: .interleaved) == nil, "\(closed)")
        }
    }

    @Test func withWordVerdictsAClosedAnswerStandsBesideTheJudgesOwnWordByWord() {
        let parts = CellChecks.parts(response: "row 1 column 2", trace: "row 2 column 2", layout: .wordVerdicts)
        #expect(parts == [CellChecks.Part(text: "row row 1 2 column column 2 2",
                                          claim: ["row", "1", "column", "2"], own: ["row", "2", "column", "2"])])
        #expect(CellChecks.text(response: "yes", trace: "no", layout: .wordVerdicts) == "yes no .")
        #expect(CellChecks.text(response: "red", trace: "row 2 column 2", layout: .wordVerdicts) == nil, "as many words only")
        #expect(CellChecks.text(response: "", trace: "", layout: .wordVerdicts) == nil)
    }

    @Test func wordVerdictsCheckCaptionsAsTheInterleavedLayoutDoes() {
        let response = "a small blue circle in row 1 column 2 . a red square in row 3 column 1 ."
        let own = "a large red circle in row 1 column 2 . a large red square in row 3 column 1 . a small red circle in row 2 column 2 ."
        #expect(CellChecks.text(response: response, trace: own, layout: .wordVerdicts)
                == CellChecks.text(response: response, trace: own, layout: .interleaved))
        #expect(CellChecks.parts(response: response, trace: own, layout: .wordVerdicts)?.map(\.paired) == [true, false, false])
    }
}
