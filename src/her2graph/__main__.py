"""`python -m her2graph`: the same command line as the `her2graph` script."""
import sys

from .cli import main

sys.exit(main())
