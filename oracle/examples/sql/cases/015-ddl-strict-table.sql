CREATE TABLE s(i INTEGER, t TEXT) STRICT;
INSERT INTO s VALUES (1, 'one');
SELECT typeof(i), typeof(t) FROM s;
