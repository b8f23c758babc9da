WITH RECURSIVE c(n, steps) AS (SELECT 27, 0 UNION ALL SELECT CASE WHEN n % 2 = 0 THEN n / 2 ELSE 3 * n + 1 END, steps + 1 FROM c WHERE n > 1) SELECT max(steps), max(n) FROM c;
