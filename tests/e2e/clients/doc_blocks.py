"""Prints the fenced code blocks of one language under one heading of a Markdown file, in order.

usage: doc_blocks.py FILE HEADING LANG   (HEADING: the text of a '##' heading, matched exactly;
its subsections included). Exit status 1 when there is no such block.
"""
import re
import sys


def blocks(text, heading, lang):
    inside, fence, out = False, None, []
    for line in text.splitlines(keepends=True):
        if fence is None:
            m = re.match(r"^(#+) (.*?)\s*$", line)
            if m and len(m.group(1)) <= 2:
                inside = m.group(2) == heading
            m = re.match(r"^```(\w*)\s*$", line)
            if m:
                fence = m.group(1)
                if inside and fence == lang:
                    out.append("")
            continue
        if line.startswith("```"):
            fence = None
        elif inside and fence == lang:
            out[-1] += line
    return out


if __name__ == "__main__":
    path, heading, lang = sys.argv[1:4]
    found = blocks(open(path, encoding="utf-8").read(), heading, lang)
    sys.stdout.write("\n".join(found))  # blocks apart by one blank line
    sys.exit(0 if found else 1)
