SELECT date('not a date'), date('2024-13-45'), typeof(date('x'));
