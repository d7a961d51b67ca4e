#!/usr/bin/python3
"""Small files with one purpose: no product file (agents/, comm/, runtime/) over MAX_FILE lines,
no function over MAX_FUNCTION lines (from its signature to its closing brace, lambdas inside it
included). Exit 1 listing each offender.

Functions are found by their braces: a '{' opens a function body when the text before it (since
the previous ';', '{' or '}') holds a ')' and does not begin with a control keyword, a
namespace, class, struct, enum or union, or an initializer. Comments, string and raw-string
literals are blanked first. Usage: check_sizes.py [ROOT]
"""
import pathlib
import re
import sys

MAX_FILE = 400
MAX_FUNCTION = 80
KEYWORDS = re.compile(r"^\s*(if|for|while|switch|catch|do|else|namespace|class|struct|enum|union|"
                      r"try|return|requires|template\s*<[^>]*>\s*(class|struct))\b")


def blank(text):
    """The text with comments and literals replaced by spaces, line breaks kept."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i)); i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j])); i = j
        elif c == "R" and text.startswith('R"', i) and (i == 0 or not text[i - 1].isalnum()):
            m = re.match(r'R"([^(]*)\(', text[i:])
            end = text.find(")" + m.group(1) + '"', i) if m else -1
            j = n if end < 0 else end + len(m.group(1)) + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j])); i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(" " * (j + 1 - i)); i = j + 1
        else:
            out.append(c); i += 1
    return "".join(out)


def long_functions(text):
    code = blank(text)
    stack = []  # (is_function, start_line)
    head_start = 0
    for i, c in enumerate(code):
        if c == "{":
            head = code[head_start:i]
            function = (")" in head and not KEYWORDS.match(head) and "=" not in head.split(")")[-1]
                        and not any(f for f, _ in stack))
            start = code.count("\n", 0, head_start + len(head) - len(head.lstrip())) + 1
            stack.append((function, start))
            head_start = i + 1
        elif c == "}":
            if stack:
                function, start = stack.pop()
                end = code.count("\n", 0, i) + 1
                if function and end - start + 1 > MAX_FUNCTION:
                    name = re.findall(r"([~\w:<>]+)\s*\(", code[code.rfind("\n", 0, 0):])
                    yield start, end - start + 1
            head_start = i + 1
        elif c == ";":
            head_start = i + 1


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parents[2])
    problems = []
    for top in ("agents", "comm", "runtime"):
        for path in sorted((root / top).rglob("*")):
            if path.suffix not in (".cpp", ".hpp"):
                continue
            text = path.read_text(errors="replace")
            rel = path.relative_to(root)
            lines = text.count("\n")
            if lines > MAX_FILE:
                problems.append(f"{rel}: {lines} lines (at most {MAX_FILE})")
            for start, length in long_functions(text):
                problems.append(f"{rel}:{start}: a function of {length} lines (at most {MAX_FUNCTION})")
    for p in problems:
        print(p)
    print(f"sizes: {len(problems)} over the limits" if problems else
          f"sizes: every file within {MAX_FILE} lines, every function within {MAX_FUNCTION}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
