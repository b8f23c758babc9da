CREATE TABLE t(s TEXT);
CREATE INDEX t_lower ON t(lower(s));
INSERT INTO t VALUES ('Abc'), ('abd');
SELECT s FROM t WHERE lower(s) = 'abc';
