CREATE TABLE t(s);
INSERT INTO t VALUES ('it''s'), ('a|b'), ('tab	here');
SELECT s, length(s) FROM t;
