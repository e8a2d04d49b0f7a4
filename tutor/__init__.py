"""perceptron-tutor: see a perceptron learn, one weight update at a time."""

__version__ = "0.1.0"
