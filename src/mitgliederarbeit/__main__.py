from mitgliederarbeit.cli.start import main

main()
