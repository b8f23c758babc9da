SELECT max(1, NULL), min(NULL, 2), coalesce(max(1, NULL), 'null');
