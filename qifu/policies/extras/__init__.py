"""政策解读、政策专题、政策在线讲堂: published content around the policy library."""
