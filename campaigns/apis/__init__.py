"""REST API of the content library, one module per resource:

- `topics`: the topics content is filed under;
- `campaigns`: campaigns (marketing and leadership);
- `content`: content items and their status (draft, in review, published, archived);
- `suggestions`: content suggested by employees, approved or declined by marketing;
- `feed`: the ambassador's feed.

Marketing writes; everyone else reads what is published for them.
"""
