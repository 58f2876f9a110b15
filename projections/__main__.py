"""`python -m projections run|status|rebuild`: the same commands as `advocacy projections`."""

from projections.commands import projections_group

if __name__ == "__main__":
    projections_group(prog_name="python -m projections")
