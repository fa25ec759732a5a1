"""The chapters for a course: student copies, and nbgrader assignments with graded variants.

- ``student_copies``: the chapters without their worked solutions (make student)
- ``assignments``: each chapter as an nbgrader assignment in a course folder (make assignments)
- ``variants``: a course's graded variant of a chapter, drawn from a course seed
- ``files``: the course folder's other files, written from ``templates/`` (``nbgrader_config.py``)
"""
