SELECT typeof(1), typeof(1.5), typeof('x'), typeof(x'00'), typeof(NULL), typeof(1e3);
