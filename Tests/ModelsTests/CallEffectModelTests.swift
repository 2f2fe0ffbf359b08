import LinearAlgebra
@testable import Models
import Testing

@Suite("Call-effect model")
struct CallEffectModelTests {
    /// A known model: share = σ(−1 + 0.5·x + reached·(1 + 2·z)) with x and z account features.
    static func known() throws -> CallEffectModel {
        let features = try Matrix([[0, 0, 0, 0], [1, 1, 1, 1], [2, -1, 0, 0], [-1, 2, 1, 2], [0.5, 0.5, 1, 0.5]])
        var model = try LogisticRegression.fit(features: features, featureNames: ["x", "z", "reached", "reached_x_z"],
                                               labels: [0.2, 0.8, 0.4, 0.9, 0.6], options: .init(l2: 1, targets: .shares))
        model.coefficients = ["x": 0.5, "z": 0, "reached": 1, "reached_x_z": 2]
        model.intercept = -1
        return try CallEffectModel(outcome: model, source: "test")
    }

    @Test func effectIsTheShareReachedMinusTheShareUnreached() throws {
        let model = try Self.known()
        #expect(model.accountFeatures == ["x", "z"])
        let account = try Matrix([[0, 0], [1, 2], [-2, -1]])
        let design = try model.design(account, treated: true)
        #expect(design.storage == [0, 0, 1, 0, 1, 2, 1, 2, -2, -1, 1, -1])
        let effects = try model.effects(account)
        func sigma(_ v: Double) -> Double { 1 / (1 + (-v).exp()) }
        let expected = [sigma(-1 + 1) - sigma(-1), sigma(-0.5 + 1 + 4) - sigma(-0.5), sigma(-2 + 1 - 2) - sigma(-2)]
        for (got, want) in zip(effects, expected) { #expect(abs(got - want) < 1e-12) }
        #expect(effects[2] < 0, "a negative interaction can make a contact cost cash")
    }

    @Test func aModelWithoutTreatmentOrWithAStrayInteractionIsRefused() throws {
        let features = try Matrix([[0, 1], [1, 0], [2, 1], [0.5, 0]])
        let plain = try LogisticRegression.fit(features: features, featureNames: ["x", "z"], labels: [0.1, 0.6, 0.9, 0.3],
                                               options: .init(l2: 1, targets: .shares))
        #expect(throws: ModelFileError.self) { try CallEffectModel(outcome: plain, source: "f.json") }
        let stray = try LogisticRegression.fit(features: features, featureNames: ["reached", "reached_x_w"],
                                               labels: [0.1, 0.6, 0.9, 0.3], options: .init(l2: 1, targets: .shares))
        #expect { try CallEffectModel(outcome: stray, source: "f.json") } throws: { "\($0)".contains("reached_x_w") }
    }
}

extension CallEffectModelTests {
    /// A model learnt from logged selections names its treatment `called`; its effect is per call placed.
    @Test func theCalledTreatmentIsReadFromTheFeatureNames() throws {
        let features = try Matrix([[0, 0, 0, 0], [1, 1, 1, 1], [2, -1, 0, 0], [-1, 2, 1, 2], [0.5, 0.5, 1, 0.5]])
        var outcome = try LogisticRegression.fit(features: features, featureNames: ["x", "z", "called", "called_x_z"],
                                                 labels: [0.2, 0.8, 0.4, 0.9, 0.6], options: .init(l2: 1, targets: .shares))
        outcome.coefficients = ["x": 0.5, "z": 0, "called": 1, "called_x_z": 2]
        outcome.intercept = -1
        let model = try CallEffectModel(outcome: outcome, source: "test")
        #expect(model.treatment == .called && model.effectIsPerCall && model.accountFeatures == ["x", "z"])
        // The same coefficients under the other name give the same effects.
        let reached = try Self.known()
        #expect(!reached.effectIsPerCall)
        let account = try Matrix([[0, 0], [1, 2], [-2, -1]])
        #expect(try model.effects(account) == reached.effects(account))
    }

    @Test func twoTreatmentsOrAnInteractionOfTheOtherTreatmentAreRefused() throws {
        let features = try Matrix([[0, 1, 0], [1, 0, 1], [2, 1, 1], [0.5, 0, 0]])
        let both = try LogisticRegression.fit(features: features, featureNames: ["x", "reached", "called"],
                                              labels: [0.1, 0.6, 0.9, 0.3], options: .init(l2: 1, targets: .shares))
        #expect { try CallEffectModel(outcome: both, source: "f.json") } throws: { "\($0)".contains("exactly one treatment") }
        let crossed = try LogisticRegression.fit(features: features, featureNames: ["x", "called", "reached_x_x"],
                                                 labels: [0.1, 0.6, 0.9, 0.3], options: .init(l2: 1, targets: .shares))
        #expect { try CallEffectModel(outcome: crossed, source: "f.json") } throws: { "\($0)".contains("reached_x_x") }
    }
}

private extension Double {
    func exp() -> Double { Foundation.exp(self) }
}

import Foundation
