SELECT json_extract('{"a": {"b": [1, 2, 3]}}', '$.a.b[1]'), json_extract('{"x": "s"}', '$.x');
