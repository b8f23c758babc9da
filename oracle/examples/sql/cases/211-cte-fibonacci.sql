WITH RECURSIVE f(i, a, b) AS (SELECT 1, 0, 1 UNION ALL SELECT i + 1, b, a + b FROM f WHERE i < 30) SELECT i, a FROM f WHERE i % 5 = 0;
