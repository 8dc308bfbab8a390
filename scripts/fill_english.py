"""English message ids are the English text: copy each id into its empty English translation."""
import sys

from babel.messages.pofile import read_po, write_po


def main(path: str) -> None:
    with open(path, "rb") as f:
        catalog = read_po(f)
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            message.string = tuple(s or message.id[min(i, 1)] for i, s in enumerate(message.string))
        elif not message.string:
            message.string = message.id
        message.flags.discard("fuzzy")
    with open(path, "wb") as f:
        write_po(f, catalog, omit_header=False, sort_output=True, width=100, no_location=True)


if __name__ == "__main__":
    main(sys.argv[1])
