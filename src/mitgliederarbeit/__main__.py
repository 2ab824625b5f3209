from mitgliederarbeit.start import main

main()
