SELECT length(NULL), upper(NULL), substr(NULL, 1), replace('abc', NULL, 'x'), instr(NULL, 'a');
