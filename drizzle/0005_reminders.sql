-- Reserved; the domain's tables are added here.
SELECT 1;
