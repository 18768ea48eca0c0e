#!/usr/bin/env python3
"""The README's first program is examples/quickstart/main.cpp (from its first #include on):
fails when one changed without the other."""
import pathlib
import sys

root = pathlib.Path(sys.argv[1])
readme = (root / 'README.md').read_text(encoding='utf-8')
section = readme[readme.index('## A first program'):]
block = section[section.index('```cpp\n') + len('```cpp\n'):]
block = block[:block.index('```')]
program = (root / 'examples/quickstart/main.cpp').read_text(encoding='utf-8')
program = program[program.index('#include'):]
if block != program:
    sys.exit('README.md "A first program" differs from examples/quickstart/main.cpp')
print('the README\'s first program is examples/quickstart/main.cpp')
