import SignedFollowCLI

// `signed-follow`: every subcommand lives in SignedFollowCLI; exit codes 0 (success),
// 1 (rejected or a failed check), 2 (usage).
await CommandLineInterface.main()
