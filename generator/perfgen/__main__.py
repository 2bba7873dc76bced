from perfgen.cli import main

main()
