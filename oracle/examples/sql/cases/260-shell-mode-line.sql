.mode line
SELECT 1 AS one, 'x' AS letter;
