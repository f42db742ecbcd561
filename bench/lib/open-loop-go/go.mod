module tributary/bench/open-loop

go 1.21
