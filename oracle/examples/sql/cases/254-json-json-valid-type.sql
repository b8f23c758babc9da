SELECT json_valid('[1]'), json_valid('{'), json_type('{"a": 1.5}', '$.a'), json_set('{"a":1}', '$.b', 2);
