from acsreview.cli import main

main()
