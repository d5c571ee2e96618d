function mpc = hostile
s = 'abc'; x = s(ones(1,2e5));
