from searchkit.cli import main

main()
