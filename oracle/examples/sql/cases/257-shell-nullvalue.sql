.nullvalue NULL
SELECT NULL, 1, NULL;
