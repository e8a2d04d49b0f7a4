"""`python -m tutor` runs the same command line as `perceptron-tutor`."""

from tutor.cli import main

raise SystemExit(main())
