SELECT 1 + NULL, NULL * 0, NULL || 'x', -NULL, abs(NULL);
