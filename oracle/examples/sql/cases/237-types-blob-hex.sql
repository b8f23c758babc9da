SELECT x'48656c6c6f', hex(x'00ff'), length(x'0102'), typeof(x'');
