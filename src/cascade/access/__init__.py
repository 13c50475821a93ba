"""Who is acting, and what they may see and do: the one choke point for authorization."""
