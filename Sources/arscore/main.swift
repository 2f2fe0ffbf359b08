import ArscoreCLI
#if canImport(Glibc)
import Glibc
#endif

exit(ArscoreMain.run(Array(CommandLine.arguments.dropFirst())))
