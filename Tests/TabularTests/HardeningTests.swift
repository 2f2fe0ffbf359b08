import Foundation
import Testing
@testable import Tabular

/// Issue 16: the CSV reader refuses what would never end, and every CSV writer neutralises text cells.
@Suite("Tabular hardening") struct TabularHardeningTests {
    @Test("a record longer than the limit is an error naming the file and line, not an ever-growing buffer")
    func recordLengthCap() throws {
        let long = String(repeating: "x", count: 5000)
        try withCSV("a,b\n1,2\n\(long),3\n") { path in
            let reader = try CSVReader(path: path, chunkSize: 256, maximumRecordBytes: 1024)
            #expect { try reader.forEachRecord { _ in } } throws: { error in
                guard let error = error as? CSVError else { return false }
                return error.kind == .recordTooLong && error.line == 3 && error.description.hasPrefix(path + ":3: record longer than 1024 bytes")
            }
            // Records within the limit read as before.
            var count = 0
            try CSVReader(path: path, chunkSize: 256).forEachRecord { _ in count += 1 }
            #expect(count == 2)
        }
    }

    @Test("devices and FIFOs are refused at open, after resolving symbolic links")
    func nonRegularFiles() throws {
        #expect { try CSVReader(path: "/dev/zero") } throws: { "\($0)".contains("not a regular file (a character device)") }
        let fifo = NSTemporaryDirectory() + "/arscore-fifo-\(getpid())"
        unlink(fifo)
        #expect(mkfifo(fifo, 0o644) == 0)
        defer { unlink(fifo) }
        #expect { try CSVReader(path: fifo) } throws: { "\($0)".contains("not a regular file (a FIFO") }
    }

    @Test("every text cell a CSVWriter writes is neutralised; numbers and plain negative numbers are not")
    func writerNeutralises() {
        var writer = CSVWriter(header: ["id", "segment", "n"])
        writer.appendCell("=HYPERLINK(\"x\")")
        writer.appendCell("@SUM(A1)")
        writer.appendCell(-12.5)
        writer.endRow()
        writer.appendCell("-12.50")
        writer.appendCell("+cmd")
        writer.appendCell(3)
        writer.endRow()
        #expect(String(decoding: writer.bytes, as: UTF8.self)
                == "id,segment,n\n\"'=HYPERLINK(\"\"x\"\")\",'@SUM(A1),-12.5\n-12.50,'+cmd,3\n")
    }

    @Test("values echoed into messages have control characters escaped")
    func messageText() {
        #expect(MessageText.escaped("a\u{0}b\u{1b}[31m\u{7f}\n") == "a\\u{0}b\\u{1b}[31m\\u{7f}\\n")
        let bytes: [UInt8] = [0x41, 0xC2, 0x85, 0x42]
        #expect(bytes.withUnsafeBufferPointer { MessageText.firstControlCharacter($0) } == 0x85)
    }
}
