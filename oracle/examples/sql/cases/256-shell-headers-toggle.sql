SELECT 1 AS a;
.headers on
SELECT 2 AS b;
.headers off
SELECT 3 AS c;
