import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import type { Query as ListQuery } from '../common/list-query';
import { SandboxEndpoint } from '../common/sandbox-endpoint.decorator';
import { CurrentTenant } from '../common/sandbox-request';
import type { FortnoxTenant } from '../state/fortnox.state';
import { ArticlesService } from './articles.service';

/** /3/articles as in the OpenAPI (1_create_3, 1_get_4, 1_update_2, list_4). */
@Controller('3/articles')
@SandboxEndpoint()
export class ArticlesController {
  constructor(private readonly articles: ArticlesService) {}

  @Post()
  create(@CurrentTenant() tenant: FortnoxTenant, @Body() body: unknown) {
    return { Article: this.articles.create(tenant, body) };
  }

  @Get()
  list(@CurrentTenant() tenant: FortnoxTenant, @Query() query: ListQuery) {
    return this.articles.list(tenant, query);
  }

  @Get(':ArticleNumber')
  get(@CurrentTenant() tenant: FortnoxTenant, @Param('ArticleNumber') articleNumber: string) {
    return { Article: this.articles.get(tenant, articleNumber) };
  }

  @Put(':ArticleNumber')
  update(@CurrentTenant() tenant: FortnoxTenant, @Param('ArticleNumber') articleNumber: string, @Body() body: unknown) {
    return { Article: this.articles.update(tenant, articleNumber, body) };
  }
}
