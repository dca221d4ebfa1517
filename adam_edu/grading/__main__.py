"""``python -m adam_edu.grading FOLDER ex01 ...``: the student-side process (see runner.py)."""
import sys

from adam_edu.grading.runner import main

if __name__ == "__main__":
    main(sys.argv[1:])
