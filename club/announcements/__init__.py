"""The club's voice: announcements staff post for members (shown on home), and the monthly programme
mail of the coming month's evenings."""
