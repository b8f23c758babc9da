CREATE TABLE t(a);
SELECT a,
  nope
FROM t;
