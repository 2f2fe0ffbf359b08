import ArscoreCLI
import Foundation
#if canImport(Glibc)
import Glibc
#endif

exit(ArscoreMain.run(Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment))
