.mode csv
SELECT 1, 'a,b', 'say "hi"';
