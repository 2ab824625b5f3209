from mitgliederarbeit.cli import main

main()
