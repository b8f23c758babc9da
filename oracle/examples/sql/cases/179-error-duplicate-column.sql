CREATE TABLE t(a, a);
