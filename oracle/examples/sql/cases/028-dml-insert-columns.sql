CREATE TABLE t(a, b DEFAULT 'dflt', c);
INSERT INTO t(c, a) VALUES (3, 1);
SELECT * FROM t;
