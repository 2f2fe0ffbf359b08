import Foundation
import Testing
import Queues

/// The exact, deterministic JSON text of `QueueManifest`.
@Suite("QueueManifest")
struct QueueManifestTests {
    /// The sample manifest with the entries of `sampleFiles("a")` filled in.
    private static func filled() -> QueueManifest {
        var manifest = sampleManifest("2026-11-23")
        for file in sampleFiles("a") {
            manifest.files[file.name] = QueueManifest.Entry(describing: file.contents, rows: file.rows)
        }
        return manifest
    }

    @Test("the text: sorted keys, two-space indent, whole-second UTC time, hashes from Python's hashlib")
    func exactText() {
        let expected = """
        {
          "as_of": "2026-11-23",
          "created_at": "2026-11-26T08:00:00Z",
          "exclusions": {
            "dispute": 1,
            "do_not_call": 3
          },
          "extra": {
            "capacity": "500"
          },
          "files": {
            "calls.csv": {
              "bytes": 33,
              "rows": 2,
              "sha256": "579cd6ad6a94ceea202e465a7e49f715a9b576e6ff50a9bd94968ea852701f59"
            },
            "disputes.csv": {
              "bytes": 35,
              "rows": 1,
              "sha256": "257036cd0fa2093ac5e99196831ef42bd0cdb0872f5710b43e2ffec247cbca1c"
            },
            "quarantine.csv": {
              "bytes": 17,
              "rows": 0,
              "sha256": "8f8c381836ad1e37bf4087d0f4d1f1d2864581b55bc61e3f5b49cbe48f809fac"
            }
          },
          "format_version": 1,
          "model": {
            "name": "arscore-models",
            "version": "v-a"
          },
          "score_psi": 0.0125
        }

        """
        #expect(String(decoding: Self.filled().json(), as: UTF8.self) == expected)
    }

    @Test("identical fields give identical bytes, whatever order the dictionaries were filled in")
    func deterministic() {
        var reordered = sampleManifest("2026-11-23")
        for file in sampleFiles("a").reversed() {
            reordered.files[file.name] = QueueManifest.Entry(describing: file.contents, rows: file.rows)
        }
        reordered.exclusions = [:]
        reordered.exclusions["do_not_call"] = 3
        reordered.exclusions["dispute"] = 1
        #expect(reordered.json() == Self.filled().json())
        #expect(Self.filled().json() == Self.filled().json())
    }

    @Test("a missing or non-finite PSI is null; empty maps are {}; text is JSON-escaped and parses back")
    func edgeValues() throws {
        for psi in [nil, Double.nan, Double.infinity] {
            var manifest = QueueManifest(asOf: "2026-11-23", createdAt: Date(timeIntervalSince1970: 0),
                                         modelName: "m \"quoted\" \\ slash", modelVersion: "line\nbreak\u{01}")
            manifest.scorePSI = psi
            let data = manifest.json()
            let text = String(decoding: data, as: UTF8.self)
            #expect(text.contains("\"score_psi\": null\n"))
            #expect(text.contains("\"exclusions\": {},\n"))
            #expect(text.contains("\"created_at\": \"1970-01-01T00:00:00Z\""))
            #expect(text.contains(#""version": "line\nbreak\u0001""#))
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let model = try #require(object["model"] as? [String: Any])
            #expect(model["name"] as? String == "m \"quoted\" \\ slash")
            #expect(model["version"] as? String == "line\nbreak\u{01}")
            #expect(object["format_version"] as? Int == 1)
        }
    }

    @Test("a creation time before 1970 and fractions of a second round down")
    func createdAtRoundsDown() {
        let manifest = QueueManifest(asOf: "2026-11-23", createdAt: Date(timeIntervalSince1970: -0.5),
                                     modelName: "m", modelVersion: "v")
        #expect(manifest.createdAtText == "1969-12-31T23:59:59Z")
    }
}
