SELECT json_object('name', 'Ada', 'tags', json_array(1, 'two', NULL)), json_array_length('[1,2,3]');
