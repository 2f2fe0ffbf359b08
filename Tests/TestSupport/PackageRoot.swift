import Foundation

/// The package root (the folder holding Package.swift), found from this file's path: Tests/TestSupport/<file>.
public let packageRoot: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
