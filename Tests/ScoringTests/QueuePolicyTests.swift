import Foundation
import Scoring
import TestSupport
import Testing

/// The policy file (`--config`): documented keys, defaults for missing ones, errors naming the file and the key.
@Suite("Queue policy file")
struct QueuePolicyTests {
    func policyFile(_ text: String) throws -> (TemporaryFolder, String) {
        let folder = try TemporaryFolder("policy")
        return (folder, try folder.write("policy.json", text))
    }

    @Test func defaultsAreTheDocumentedOnes() {
        let policy = QueuePolicy()
        #expect(policy.capacity == nil)
        #expect(policy.contactCapAttempts == 3 && policy.contactCapDays == 7)
        #expect(policy.excludeDoNotCall && policy.excludeDisputed && policy.excludeOpenPromiseNotDue)
        #expect(policy.doubtfulMaximumPPay <= policy.timelyMinimumPPay)
        #expect(policy.priority == .payLikelihood)
        #expect(policy.escalation && policy.escalationMinimumDaysPastDue == 120 && policy.escalationRecoveryShare == 0)
    }

    @Test func priorityAndEscalationKeysAreRead() throws {
        let (folder, path) = try policyFile(#"{"priority": "aging", "escalation": false, "escalation_recovery_share": 0.1}"#)
        _ = folder
        let policy = try QueuePolicy.load(path: path)
        #expect(policy.priority == .aging && !policy.escalation && policy.escalationRecoveryShare == 0.1)
        for mode in QueuePriority.allCases {
            let (other, modePath) = try policyFile("{\"priority\": \"\(mode.rawValue)\"}")
            _ = other
            #expect(try QueuePolicy.load(path: modePath).priority == mode)
        }
    }

    /// An unknown `priority` names the file, the key, the value and the accepted modes.
    @Test(arguments: [#"{"priority": "incremental"}"#, #"{"priority": 3}"#, #"{"priority": "Aging"}"#])
    func invalidPriorityNamesTheKeyAndTheModes(_ text: String) throws {
        let (folder, path) = try policyFile(text)
        _ = folder
        let error = try #require(throws: PolicyError.self) { try QueuePolicy.load(path: path) }
        #expect(error.description.hasPrefix(path + ": \"priority\""), "\(error)")
        #expect(error.description.contains("\"expected_cash\", \"pay_likelihood\", \"aging\", \"incremental_cash\""), "\(error)")
    }

    /// The retired P(pay) escalation threshold is an error that says what replaced it.
    @Test func retiredEscalationKeySaysWhatReplacedIt() throws {
        let (folder, path) = try policyFile(#"{"escalation_maximum_p_pay": 0.25}"#)
        _ = folder
        let error = try #require(throws: PolicyError.self) { try QueuePolicy.load(path: path) }
        #expect(error.description.hasPrefix(path + ": \"escalation_maximum_p_pay\""), "\(error)")
        #expect(error.description.contains("escalation_recovery_share"), "\(error)")
    }

    @Test func missingKeysKeepTheirDefaults() throws {
        let (folder, path) = try policyFile(#"{"capacity": 25, "contact_cap_attempts": 2, "timely_minimum_p_pay": 0.8}"#)
        _ = folder
        let policy = try QueuePolicy.load(path: path)
        var expected = QueuePolicy()
        expected.capacity = 25
        expected.contactCapAttempts = 2
        expected.timelyMinimumPPay = 0.8
        #expect(policy == expected)
    }

    @Test func unknownKeyIsAnErrorNamingTheFileAndTheKey() throws {
        let (folder, path) = try policyFile(#"{"capacity": 25, "contact_cap": 2}"#)
        _ = folder
        let error = try #require(throws: PolicyError.self) { try QueuePolicy.load(path: path) }
        #expect(error.path == path)
        #expect(error.description.contains(path) && error.description.contains("\"contact_cap\""))
    }

    @Test(arguments: [
        (#"{"capacity": -1}"#, "capacity"),
        (#"{"contact_cap_attempts": 0}"#, "contact_cap_attempts"),
        (#"{"timely_minimum_p_pay": 1.5}"#, "timely_minimum_p_pay"),
        (#"{"timely_minimum_p_pay": 0.3, "doubtful_maximum_p_pay": 0.5}"#, "doubtful_maximum_p_pay"),
        (#"{"minimum_past_due_balance": -5}"#, "minimum_past_due_balance"),
        (#"{"capacity": "ten"}"#, "capacity"),
        (#"{"escalation_recovery_share": 1.5}"#, "escalation_recovery_share"),
        (#"{"escalation": "no"}"#, "escalation"),
    ])
    func invalidValuesNameTheFileAndTheKey(_ text: String, _ key: String) throws {
        let (folder, path) = try policyFile(text)
        _ = folder
        let error = try #require(throws: PolicyError.self) { try QueuePolicy.load(path: path) }
        #expect(error.description.hasPrefix(path + ":"), "\(error)")
        #expect(error.description.contains(key), "\(error)")
    }

    @Test func notJSONOrMissingFileNamesTheFile() throws {
        let (folder, path) = try policyFile("capacity = 3\n")
        let bad = try #require(throws: PolicyError.self) { try QueuePolicy.load(path: path) }
        #expect(bad.description.hasPrefix(path + ":"))
        let missing = folder.path + "/nope.json"
        let absent = try #require(throws: PolicyError.self) { try QueuePolicy.load(path: missing) }
        #expect(absent.description.hasPrefix(missing + ":"))
    }
}

/// The keys of the exploration and holdout draws (docs/POLICY.md, "Exploration and holdout").
@Suite("Queue policy file: exploration and holdout keys")
struct ExplorationPolicyKeyTests {
    @Test func defaultsAndKeysAreTheDocumentedOnes() throws {
        let policy = QueuePolicy()
        #expect(policy.explorationShare == 0.05 && policy.holdoutShare == 0 && policy.policySeed == 1)
        let folder = try TemporaryFolder("policy")
        let path = try folder.write("policy.json", #"{"exploration_share": 0, "holdout_share": 0.2, "policy_seed": 42}"#)
        let loaded = try QueuePolicy.load(path: path)
        #expect(loaded.explorationShare == 0 && loaded.holdoutShare == 0.2 && loaded.policySeed == 42)
    }

    @Test(arguments: [
        (#"{"exploration_share": 1.5}"#, "exploration_share"),
        (#"{"exploration_share": -0.1}"#, "exploration_share"),
        (#"{"exploration_share": "five percent"}"#, "exploration_share"),
        (#"{"holdout_share": 2}"#, "holdout_share"),
        (#"{"holdout_share": -1}"#, "holdout_share"),
        (#"{"policy_seed": -1}"#, "policy_seed"),
        (#"{"policy_seed": 1.5}"#, "policy_seed"),
        (#"{"policy_seed": "one"}"#, "policy_seed"),
    ])
    func invalidValuesNameTheFileAndTheKey(_ text: String, _ key: String) throws {
        let folder = try TemporaryFolder("policy")
        let path = try folder.write("policy.json", text)
        let error = try #require(throws: PolicyError.self) { try QueuePolicy.load(path: path) }
        #expect(error.description.hasPrefix(path + ": "), "\(error)")
        #expect(error.description.contains("\"\(key)\""), "\(error)")
    }
}
